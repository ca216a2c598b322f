import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {parseJunit} from './support/junit.js'
import {renderJunit, xmlEscape} from '../src/client/smoke/junit.js'
import type {SmokeReport} from '../src/client/smoke/types.js'

const report: SmokeReport = {
  ok: false,
  server: 'sh -c "a && b" <x>',
  home: '/tmp/h&h',
  startedAt: '2026-11-24T00:00:00.000Z',
  durationMs: 4321,
  interrupted: false,
  cleanup: 'ok',
  scenarios: [
    {id: 'cold-start', name: 'cold start', status: 'passed', durationMs: 1200, message: 'pid <1> & "2"'},
    {id: 'start-storm', name: 'concurrent start storm', status: 'failed', durationMs: 3000, message: '2 of 16 failed', details: 'stderr:\n<boom> & \u0007bell'},
    {id: 'stop-clean', name: 'stop leaves no process and no socket', status: 'skipped', durationMs: 0, message: 'skipped: never started'},
  ],
}

describe('JUnit report', () => {
  it('is well-formed XML with a testcase per scenario: failure and skipped elements carry the verdict', () => {
    const xml = parseJunit(renderJunit(report))
    assert.deepEqual({tests: xml.tests, failures: xml.failures, skipped: xml.skipped}, {tests: 3, failures: 1, skipped: 1})
    assert.deepEqual(xml.cases.map((c) => [c.name, c.outcome, c.message]), [
      ['cold start', 'passed', null],
      ['concurrent start storm', 'failed', '2 of 16 failed'],
      ['stop leaves no process and no socket', 'skipped', 'skipped: never started'],
    ])
    assert.equal(xml.cases[1].text, 'stderr:\n<boom> & bell', 'details kept, control characters dropped')
  })

  it('times are in seconds', () => {
    assert.match(renderJunit(report), /<testcase classname="codexd.smoke" name="cold start" time="1.200">/)
  })

  it('escapes markup in attributes and text', () => {
    assert.equal(xmlEscape('<a href="x">&</a>'), '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;')
  })
})
