#!/usr/bin/env node
// The installed `p2c-vpn` command: runs the TypeScript CLI through tsx's require hook.
require('tsx/cjs');
require('./main.ts').main();
