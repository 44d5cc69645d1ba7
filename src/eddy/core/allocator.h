#pragma once

namespace eddy {

/// Tunes the C allocator for a stream processor; call once at the start of main().
/// Batches are buffers allocated and freed by the thousand per second: with glibc's
/// defaults the freed top of the heap goes back to the kernel and the next batch
/// faults its pages in again (a third of a pass-through job's CPU time). Keeping up to
/// 256 MiB of freed heap lets batches reuse it, and buffers up to 32 MiB come from
/// that heap rather than from a mapping of their own.
void tuneAllocator();

}  // namespace eddy
