#pragma once

namespace pact::service {

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts afterwards; call it
// first thing in main so no library thread takes the signal.
void block_termination_signals();
// Waits for SIGTERM or SIGINT (blocked as above) and returns its number.
int wait_for_termination_signal();

}  // namespace pact::service
