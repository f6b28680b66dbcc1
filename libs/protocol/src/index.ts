export * from './common';
export * from './participants';
export * from './controls';
export * from './meeting';
export * from './permissions';
export * from './http';
