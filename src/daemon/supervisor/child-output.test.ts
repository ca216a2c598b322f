import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ChildOutputLines} from './child-output.js'

describe('ChildOutputLines', {timeout: 10_000}, () => {
  it('splits on newlines and keeps the partial end for the next chunk', () => {
    const lines: string[] = []
    const output = new ChildOutputLines((emitted) => lines.push(...emitted), 8)
    output.push('ab\ncd')
    output.push('e\n')
    assert.deepEqual(lines, ['ab', 'cde'])
  })

  it('never holds more than the cap of a line without newline: it is emitted in capped pieces', () => {
    const lines: string[] = []
    const output = new ChildOutputLines((emitted) => lines.push(...emitted), 8)
    for (let i = 0; i < 10; i++) output.push('x'.repeat(5))
    assert.deepEqual(lines, ['x'.repeat(8), 'x'.repeat(8), 'x'.repeat(8), 'x'.repeat(8), 'x'.repeat(8), 'x'.repeat(8)])
    output.flush()
    assert.equal(lines.at(-1), 'xx', 'the rest is emitted at the end')
    assert.equal(lines.join('').length, 50, 'nothing is lost')
  })

  it('a long complete line is cut into pieces too; a line of exactly the cap stays whole', () => {
    const lines: string[] = []
    const output = new ChildOutputLines((emitted) => lines.push(...emitted), 4)
    output.push('abcd\nabcdefghij\n')
    assert.deepEqual(lines, ['abcd', 'abcd', 'efgh', 'ij'])
  })
})
