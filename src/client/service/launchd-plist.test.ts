import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {describe, it} from 'node:test'
import {findOnPath} from '../../ground/children/find-on-path.js'
import {isGeneratedByCodexd} from '../install/generated-file.js'
import {renderLaunchdPlist} from './launchd-plist.js'
import type {ServiceSpec} from './service-spec.js'

const spec: ServiceSpec = {
  manager: 'launchd',
  identity: {unitName: 'codexd.service', label: 'dev.codexd.supervisor'},
  path: '/unused',
  home: '/Users/u/a&b <c>/.codex',
  launcher: {node: '/opt/homebrew/bin/node', entry: '/Users/u/codexd -- x/bin/run.cjs'},
  environment: [['CODEX_HOME', '/Users/u/a&b <c>/.codex'], ['PATH', '/opt/homebrew/bin:/usr/bin']],
  runArgs: ['--on-upgrade', 'notify'],
}

/** Parses a plist with Python's plistlib (a real parser) and prints it as JSON. */
function parsePlist(text: string): any {
  const result = spawnSync('python3', ['-c', 'import json,plistlib,sys; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))'], {input: text, encoding: 'utf8'})
  assert.equal(result.status, 0, result.stderr)
  return JSON.parse(result.stdout)
}

describe('launchd agent plist', () => {
  it('carries the marker after the XML declaration', () => {
    const plist = renderLaunchdPlist(spec)
    assert.ok(plist.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!-- codexd:generated'))
    assert.ok(isGeneratedByCodexd(plist))
  })

  it('parses as a plist: label, `node run.js run`, environment (escaped), run at load, restart on failure only', (t) => {
    if (!findOnPath('python3')) return t.skip('python3 (plistlib) is not installed')
    assert.deepEqual(parsePlist(renderLaunchdPlist(spec)), {
      Label: 'dev.codexd.supervisor',
      ProgramArguments: ['/opt/homebrew/bin/node', '/Users/u/codexd -- x/bin/run.cjs', 'run', '--on-upgrade', 'notify'],
      EnvironmentVariables: {CODEX_HOME: '/Users/u/a&b <c>/.codex', PATH: '/opt/homebrew/bin:/usr/bin'},
      RunAtLoad: true,
      KeepAlive: {SuccessfulExit: false},
      ExitTimeOut: 20,
    })
  })
})
