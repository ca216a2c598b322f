import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {LineSplitter} from './line-splitter.js'

describe('LineSplitter', () => {
  test('splits lines across chunk boundaries, handles CRLF and a last line without newline', () => {
    const splitter = new LineSplitter(1000)
    const events = [...splitter.push(Buffer.from('{"a":1}\n{"b"')), ...splitter.push(Buffer.from(':2}\r\n\n{"c":3}')), ...splitter.end()]
    assert.deepEqual(events, [
      {line: '{"a":1}', number: 1},
      {line: '{"b":2}', number: 2},
      {line: '', number: 3},
      {line: '{"c":3}', number: 4},
    ])
  })

  test('keeps multi-byte UTF-8 characters split across chunks intact', () => {
    const splitter = new LineSplitter(1000)
    const bytes = Buffer.from('"✓é"\n')
    const events = [...splitter.push(bytes.subarray(0, 2)), ...splitter.push(bytes.subarray(2))]
    assert.deepEqual(events, [{line: '"✓é"', number: 1}])
  })

  test('drops a line over the limit without holding it, reports it once, and carries on', () => {
    const splitter = new LineSplitter(10)
    const events = [
      ...splitter.push(Buffer.from('12345')),
      ...splitter.push(Buffer.from('67890abc')),
      ...splitter.push(Buffer.from('x'.repeat(100))),
      ...splitter.push(Buffer.from('\nok\n')),
    ]
    assert.deepEqual(events, [
      {tooLong: 113, number: 1},
      {line: 'ok', number: 2},
    ])
  })

  test('a line exactly at the limit passes, inside one chunk or across chunks', () => {
    const oneChunk = new LineSplitter(4)
    assert.deepEqual(oneChunk.push(Buffer.from('abcd\nabcde\n')), [{line: 'abcd', number: 1}, {tooLong: 5, number: 2}])
    const split = new LineSplitter(4)
    assert.deepEqual([...split.push(Buffer.from('ab')), ...split.push(Buffer.from('cd\n'))], [{line: 'abcd', number: 1}])
  })
})
