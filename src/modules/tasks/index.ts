/** What other modules may use of tasks. */
export { type Actor, hasRole, userIdOf } from './task-actor.js';
