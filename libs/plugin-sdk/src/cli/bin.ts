#!/usr/bin/env node
import { runCli } from './init';

process.exitCode = runCli(process.argv.slice(2));
