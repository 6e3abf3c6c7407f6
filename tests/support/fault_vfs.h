// A fault-injecting SQLite VFS for tests: "mnr_fault" wraps the default VFS
// ("unix") and, once armed, fails the Nth xWrite, xSync or xTruncate (on any
// file opened through it: the database, its WAL, journals) with a chosen
// SQLite error code, as a failing disk would. Open a store on it with
// SqliteStoreOptions::vfs_name_test_only = kFaultVfsName. Test-only code.
//
// Thread safe: the counters are atomic, any thread may arm or disarm.
#ifndef MNRECORDS_TESTS_SUPPORT_FAULT_VFS_H_
#define MNRECORDS_TESTS_SUPPORT_FAULT_VFS_H_

#ifdef __cplusplus
extern "C" {
#endif

#define MNR_FAULT_VFS_NAME "mnr_fault"

// The operations that can fail.
enum MnrFaultOp {
  MNR_FAULT_WRITE = 0,
  MNR_FAULT_SYNC = 1,
  MNR_FAULT_TRUNCATE = 2
};

// mnr_fault_vfs_register registers the VFS (not as the default); safe to
// call more than once. Returns an SQLite result code.
int mnr_fault_vfs_register(void);

// mnr_fault_vfs_arm resets the counters and fails the `nth` (1-based) call
// of `op` from now on with `error_code` (e.g. SQLITE_IOERR_WRITE,
// SQLITE_IOERR_FSYNC, SQLITE_FULL); with `sticky` every later call of `op`
// fails too, until disarmed (a full disk). The failing call does nothing.
void mnr_fault_vfs_arm(enum MnrFaultOp op, int nth, int error_code, int sticky);

// mnr_fault_vfs_disarm stops failing calls (the counters keep counting).
void mnr_fault_vfs_disarm(void);

// mnr_fault_vfs_reset_counts zeroes the call and failure counters.
void mnr_fault_vfs_reset_counts(void);

// mnr_fault_vfs_set_sync_delay_ms makes every xSync sleep `ms` first (a
// slow disk); 0 = none. Independent of arming.
void mnr_fault_vfs_set_sync_delay_ms(int ms);

// mnr_fault_vfs_calls is how many calls of `op` were made since the last
// arm or reset; mnr_fault_vfs_failures how many calls were failed.
int mnr_fault_vfs_calls(enum MnrFaultOp op);
int mnr_fault_vfs_failures(void);

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // MNRECORDS_TESTS_SUPPORT_FAULT_VFS_H_
