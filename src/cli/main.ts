#!/usr/bin/env node
/** The orderstream command line (src/cli/program.ts), on this process's arguments. */
import { runCommandLine } from './program.js';

const code = await runCommandLine(process.argv);
if (code !== undefined) process.exit(code);
