// Moved to infra/local/spawn.ts (the simulator uses it too); kept so older imports still resolve.
export * from '../../../infra/local/spawn';
