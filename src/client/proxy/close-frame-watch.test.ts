import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import * as ws from 'ws'
import {CloseFrameWatch} from './close-frame-watch.js'

/** ws's own frame encoder (untyped in @types/ws). */
const {Sender} = ws as unknown as {Sender: {frame(data: Buffer, options: object): Buffer[]}}

const REQUEST = Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n')

/** A real RFC 6455 frame as ws's own Sender builds it (masked like a client's, or not). */
function frame(opcode: number, payload: Buffer, masked: boolean): Buffer {
  const list = Sender.frame(payload, {fin: true, opcode, mask: masked, maskKey: Buffer.from([1, 2, 3, 4]), readOnly: false, rsv1: false})
  return Buffer.concat(list)
}

/** Feeds `stream` in pieces of `size` bytes. */
function feedInPieces(watch: CloseFrameWatch, stream: Buffer, size: number): void {
  for (let at = 0; at < stream.length; at += size) watch.feed(stream.subarray(at, at + size))
}

describe('CloseFrameWatch', () => {
  const data = [frame(0x1, Buffer.from('{"id":1}'), true), frame(0x1, Buffer.alloc(300, 120), true), frame(0x2, Buffer.alloc(70_000, 1), true), frame(0x9, Buffer.alloc(0), true)]
  const close = frame(0x8, Buffer.from([0x03, 0xe8]), true)

  for (const size of [1, 3, 13, 64, 65_536]) {
    test(`finds the close frame after text, binary and ping frames, in ${size}-byte pieces`, () => {
      const watch = new CloseFrameWatch()
      // A close opcode hidden in a payload must not count: 0x88 bytes inside a binary frame.
      const decoy = frame(0x2, Buffer.alloc(500, 0x88), true)
      feedInPieces(watch, Buffer.concat([REQUEST, ...data, decoy]), size)
      assert.equal(watch.closeSeen, undefined)
      assert.ok(watch.watching)
      feedInPieces(watch, close, size)
      assert.ok(watch.closeSeen !== undefined)
      assert.equal(watch.watching, false)
    })
  }

  test('reads unmasked server frames after an HTTP 101 response head', () => {
    const watch = new CloseFrameWatch()
    watch.feed(Buffer.concat([Buffer.from('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n'), frame(0x1, Buffer.alloc(200_000, 97), false)]))
    assert.equal(watch.closeSeen, undefined)
    watch.feed(frame(0x8, Buffer.from([0x03, 0xe9]), false))
    assert.ok(watch.closeSeen !== undefined)
  })

  test('orders closes across two watches', () => {
    const first = new CloseFrameWatch()
    const second = new CloseFrameWatch()
    second.feed(REQUEST)
    first.feed(REQUEST)
    first.feed(close)
    second.feed(close)
    assert.ok(first.closeSeen! < second.closeSeen!)
  })

  test('a stream that is not HTTP turns the watch off and never reports a close', () => {
    const watch = new CloseFrameWatch()
    watch.feed(Buffer.from([0x88, 0x00, 0x88, 0x00]))
    assert.equal(watch.watching, false)
    assert.equal(watch.closeSeen, undefined)
  })
})
