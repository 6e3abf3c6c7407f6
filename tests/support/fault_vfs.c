// The fault-injecting VFS of fault_vfs.h. Every method forwards to the
// wrapped VFS / file; xWrite, xSync and xTruncate first ask ShouldFail.
#include "tests/support/fault_vfs.h"

#include <sqlite3.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

typedef struct FaultFile {
  sqlite3_file base;   // must come first: SQLite sees a sqlite3_file
  sqlite3_file* real;  // the wrapped file, allocated right after this struct
} FaultFile;

static sqlite3_vfs g_vfs;
static sqlite3_vfs* g_real = NULL;
static atomic_int g_armed_op = -1;  // -1 = disarmed
static atomic_int g_nth = 0;
static atomic_int g_error_code = SQLITE_IOERR;
static atomic_int g_sticky = 0;
static atomic_int g_calls[3];
static atomic_int g_failures = 0;
static atomic_int g_sync_delay_ms = 0;

// ShouldFail counts a call of `op` and returns the error to fail it with,
// or SQLITE_OK.
static int ShouldFail(enum MnrFaultOp op) {
  const int call = atomic_fetch_add(&g_calls[op], 1) + 1;
  if (atomic_load(&g_armed_op) != (int)op) return SQLITE_OK;
  const int nth = atomic_load(&g_nth);
  if (call == nth || (atomic_load(&g_sticky) && call > nth)) {
    atomic_fetch_add(&g_failures, 1);
    return atomic_load(&g_error_code);
  }
  return SQLITE_OK;
}

static sqlite3_file* Real(sqlite3_file* file) {
  return ((FaultFile*)file)->real;
}

static int FaultClose(sqlite3_file* f) {
  return Real(f)->pMethods->xClose(Real(f));
}
static int FaultRead(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  return Real(f)->pMethods->xRead(Real(f), buf, n, off);
}
static int FaultWrite(sqlite3_file* f, const void* buf, int n,
                      sqlite3_int64 off) {
  const int rc = ShouldFail(MNR_FAULT_WRITE);
  if (rc != SQLITE_OK) return rc;
  return Real(f)->pMethods->xWrite(Real(f), buf, n, off);
}
static int FaultTruncate(sqlite3_file* f, sqlite3_int64 size) {
  const int rc = ShouldFail(MNR_FAULT_TRUNCATE);
  if (rc != SQLITE_OK) return rc;
  return Real(f)->pMethods->xTruncate(Real(f), size);
}
static int FaultSync(sqlite3_file* f, int flags) {
  const int delay_ms = atomic_load(&g_sync_delay_ms);
  if (delay_ms > 0) {
    struct timespec delay = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
    nanosleep(&delay, NULL);
  }
  const int rc = ShouldFail(MNR_FAULT_SYNC);
  if (rc != SQLITE_OK) return rc;
  return Real(f)->pMethods->xSync(Real(f), flags);
}
static int FaultFileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
static int FaultLock(sqlite3_file* f, int level) {
  return Real(f)->pMethods->xLock(Real(f), level);
}
static int FaultUnlock(sqlite3_file* f, int level) {
  return Real(f)->pMethods->xUnlock(Real(f), level);
}
static int FaultCheckReservedLock(sqlite3_file* f, int* out) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}
static int FaultFileControl(sqlite3_file* f, int op, void* arg) {
  return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}
static int FaultSectorSize(sqlite3_file* f) {
  return Real(f)->pMethods->xSectorSize(Real(f));
}
static int FaultDeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}
static int FaultShmMap(sqlite3_file* f, int region, int size, int extend,
                       void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), region, size, extend, out);
}
static int FaultShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
static void FaultShmBarrier(sqlite3_file* f) {
  Real(f)->pMethods->xShmBarrier(Real(f));
}
static int FaultShmUnmap(sqlite3_file* f, int delete_flag) {
  return Real(f)->pMethods->xShmUnmap(Real(f), delete_flag);
}
// No memory-mapped I/O: every page goes through xRead / xWrite.
static int FaultFetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) {
  (void)f;
  (void)off;
  (void)n;
  *out = NULL;
  return SQLITE_OK;
}
static int FaultUnfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  (void)f;
  (void)off;
  (void)p;
  return SQLITE_OK;
}

static const sqlite3_io_methods kFaultMethods = {
    3,
    FaultClose,
    FaultRead,
    FaultWrite,
    FaultTruncate,
    FaultSync,
    FaultFileSize,
    FaultLock,
    FaultUnlock,
    FaultCheckReservedLock,
    FaultFileControl,
    FaultSectorSize,
    FaultDeviceCharacteristics,
    FaultShmMap,
    FaultShmLock,
    FaultShmBarrier,
    FaultShmUnmap,
    FaultFetch,
    FaultUnfetch,
};

static int FaultOpen(sqlite3_vfs* vfs, const char* name, sqlite3_file* file,
                     int flags, int* out_flags) {
  (void)vfs;
  FaultFile* fault = (FaultFile*)file;
  fault->real = (sqlite3_file*)&fault[1];
  fault->base.pMethods = NULL;
  const int rc = g_real->xOpen(g_real, name, fault->real, flags, out_flags);
  // SQLite calls xClose only when pMethods is set: set it only if the real
  // file is open.
  if (fault->real->pMethods != NULL) fault->base.pMethods = &kFaultMethods;
  return rc;
}

int mnr_fault_vfs_register(void) {
  if (sqlite3_vfs_find(MNR_FAULT_VFS_NAME) != NULL) return SQLITE_OK;
  g_real = sqlite3_vfs_find(NULL);
  if (g_real == NULL) return SQLITE_ERROR;
  // Everything but the name, the file size and xOpen is the real VFS's.
  memcpy(&g_vfs, g_real, sizeof(g_vfs));
  g_vfs.pNext = NULL;
  g_vfs.zName = MNR_FAULT_VFS_NAME;
  g_vfs.szOsFile = (int)sizeof(FaultFile) + g_real->szOsFile;
  g_vfs.xOpen = FaultOpen;
  return sqlite3_vfs_register(&g_vfs, /*makeDflt=*/0);
}

void mnr_fault_vfs_reset_counts(void) {
  for (int i = 0; i < 3; ++i) atomic_store(&g_calls[i], 0);
  atomic_store(&g_failures, 0);
}

void mnr_fault_vfs_arm(enum MnrFaultOp op, int nth, int error_code,
                       int sticky) {
  atomic_store(&g_armed_op, -1);
  mnr_fault_vfs_reset_counts();
  atomic_store(&g_nth, nth);
  atomic_store(&g_error_code, error_code);
  atomic_store(&g_sticky, sticky);
  atomic_store(&g_armed_op, (int)op);
}

void mnr_fault_vfs_set_sync_delay_ms(int ms) {
  atomic_store(&g_sync_delay_ms, ms);
}

void mnr_fault_vfs_disarm(void) { atomic_store(&g_armed_op, -1); }

int mnr_fault_vfs_calls(enum MnrFaultOp op) {
  return atomic_load(&g_calls[op]);
}

int mnr_fault_vfs_failures(void) { return atomic_load(&g_failures); }
