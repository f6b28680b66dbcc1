export * from './common';
export * from './participants';
export * from './controls';
export * from './access';
export * from './chat';
export * from './meeting';
export * from './permissions';
export * from './http';
