export * from './common';
export * from './participants';
export * from './meeting';
export * from './permissions';
export * from './http';
