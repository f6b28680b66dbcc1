import { createContext } from 'svelte';
import type { ClassroomContext } from './classroom.svelte';

/**
 * The classroom a component is in: set once by Classroom.svelte, read by every component
 * below it instead of props passed down through the layers.
 */
export const [getClassroom, setClassroom] = createContext<ClassroomContext>();
