export { Graph, type Condition, type QueryOptions, type Term, type TripleInput } from './graph';
export { Variable, variable } from './variable';
export { escapeValue, type Triple } from './hexastore';
