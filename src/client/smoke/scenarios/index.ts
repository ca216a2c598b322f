import type {Scenario} from '../types.js'
import {childKill} from './child-kill.js'
import {coldStart} from './cold-start.js'
import {duplicateLaunch} from './duplicate-launch.js'
import {proxyInitialize} from './proxy-initialize.js'
import {staleSocket} from './stale-socket.js'
import {startStorm} from './start-storm.js'
import {stopClean} from './stop-clean.js'

/** The smoke scenarios, in the order they run. */
export const SCENARIOS: readonly Scenario[] = [coldStart, startStorm, duplicateLaunch, proxyInitialize, childKill, staleSocket, stopClean]
