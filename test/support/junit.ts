import {spawnSync} from 'node:child_process'

/** A JUnit report as read by a real XML parser (Python's ElementTree). */
export interface JunitSummary {
  tests: number
  failures: number
  skipped: number
  cases: Array<{name: string; outcome: 'passed' | 'failed' | 'skipped'; message: string | null; text: string | null}>
}

const PARSER = `
import json, sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
suite = root.find('testsuite')
cases = []
for case in suite.findall('testcase'):
    failure, skipped = case.find('failure'), case.find('skipped')
    node = failure if failure is not None else skipped
    cases.append({'name': case.get('name'), 'outcome': 'failed' if failure is not None else 'skipped' if skipped is not None else 'passed',
                  'message': node.get('message') if node is not None else None, 'text': node.text if node is not None else None})
print(json.dumps({'tests': int(suite.get('tests')), 'failures': int(suite.get('failures')), 'skipped': int(suite.get('skipped')), 'cases': cases}))
`

/** Parses JUnit XML (fails the test when it is not well-formed). */
export function parseJunit(xml: string): JunitSummary {
  const result = spawnSync('python3', ['-c', PARSER], {input: xml, encoding: 'utf8'})
  if (result.status !== 0) throw new Error(`not valid JUnit XML: ${result.stderr}\n${xml}`)
  return JSON.parse(result.stdout)
}
