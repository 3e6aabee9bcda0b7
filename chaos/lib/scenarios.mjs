// The scenarios, in the order the runner runs them.
import { apiFuzz } from '../scenarios/api-fuzz.mjs';
import { configFuzz } from '../scenarios/config-fuzz.mjs';
import { killStorm } from '../scenarios/kill-storm.mjs';
import { logFlood } from '../scenarios/log-flood.mjs';
import { restartSoak } from '../scenarios/restart-soak.mjs';
import { zombieLock } from '../scenarios/zombie-lock.mjs';

export const SCENARIOS = [killStorm, zombieLock, configFuzz, apiFuzz, restartSoak, logFlood];
