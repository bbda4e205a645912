import { defineConfig } from 'tsup';
import { preset } from '../../tooling/config/tsup.preset';

export default defineConfig(preset({ index: 'src/index.ts', serve: 'src/serve.ts' }));
