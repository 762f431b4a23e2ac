// What the client flows share: their settings from the environment, and steps that print one line
// each and name the step that failed.
import { env, exit } from 'node:process';

let current = 'start';

/** The value of a required environment variable; exits 2 when it is missing. */
export function required(name) {
  const value = env[name];
  if (!value) {
    console.error(`FAIL setup: environment variable ${name} is not set`);
    exit(2);
  }
  return value;
}

export function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

/** Runs one step and prints `ok <name>[: detail]`. */
export async function step(name, action) {
  current = name;
  const detail = await action();
  console.log(`ok ${name}${detail ? `: ${detail}` : ''}`);
}

export function show(value) {
  return JSON.stringify(value)?.slice(0, 500);
}

/** Runs the flow; on the first failure prints `FAIL <step>: <why>` and exits 1. */
export async function runFlow(name, run, describe = (error) => error?.stack ?? show(error)) {
  try {
    await run();
    console.log(`${name} flow passed`);
  } catch (error) {
    console.error(`FAIL ${current}: ${describe(error)}`);
    exit(1);
  }
}
