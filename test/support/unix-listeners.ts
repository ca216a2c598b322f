// Tests count listeners with the same /proc/net/unix reader the product uses.
export {listenerCount} from '../../src/shared/proc/unix-listeners.js'
