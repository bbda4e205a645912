export { Autocomplete, type AutocompleteItem, type AutocompleteOptions, type AutocompleteSearchOptions, type BoostOptions } from './autocomplete';
