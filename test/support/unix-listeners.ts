// Tests count listeners with the same /proc/net/unix reader the product uses.
export {listenerCount} from '../../src/ground/proc/unix-listeners.js'
