export { type DevClickHouse, type DevClickHouseOptions, startDevClickHouse } from './server.ts';
