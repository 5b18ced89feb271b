import { Agent } from './agent.js';

let globalAgent: Agent | null = null;

/** getGlobalAgent returns the agent request() and fetch() use when none is given. */
export function getGlobalAgent(): Agent {
  globalAgent ??= new Agent();
  return globalAgent;
}

/** setGlobalAgent replaces the default agent (the old one is left open). */
export function setGlobalAgent(agent: Agent): void {
  globalAgent = agent;
}
