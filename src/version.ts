import { readFileSync } from 'node:fs';
import { packageRoot } from './paths.js';
import path from 'node:path';

/** The package version, read once from package.json. */
export const WANMI_VERSION: string = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version;
