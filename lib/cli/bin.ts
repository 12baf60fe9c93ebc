#!/usr/bin/env node
/** The installed `p2c-vpn` command. `npm pack` bundles this file with esbuild into lib/cli/p2c-vpn.cjs
 * (see package.json "prepack"), so the installed bin needs no dependency at all. */
import { main } from './main';

main();
