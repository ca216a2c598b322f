declare module 'fs-ext' {
  /** flock(2) on an open file descriptor; throws EAGAIN/EWOULDBLOCK for a held `exnb`. */
  export function flockSync(fd: number, flags: 'sh' | 'ex' | 'shnb' | 'exnb' | 'un'): void
}
