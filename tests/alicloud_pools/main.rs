//! The typed IP address pool calls against a scripted server: every operation's parameters
//! exactly (`Name.N` flattening, `ClientToken` kept across retries, `DryRun`), response decoding
//! (both spellings of the new pool's ID, numbers sent as strings), paging across pages, the
//! repeated-`NextToken` guard, and API errors with their Code and RequestId.

mod harness;

mod cidr_blocks;
mod pool_lists;
mod pools;
mod tags;
