import { defineConfig } from 'tsup';
import { preset } from '../../tooling/config/tsup.preset';

export default defineConfig(preset());
