// DeriveRecordTerms: the search terms of a stored revision, as the write
// that stored it filed them (RecordTraits<R>::Terms). A store needs it only
// to index records stored before it kept search terms (store.h
// RecordTermsFn): the server passes it in its store options.
#ifndef MNRECORDS_SERVER_RECORDS_RECORD_TERMS_H_
#define MNRECORDS_SERVER_RECORDS_RECORD_TERMS_H_

#include <string>
#include <vector>

#include "server/store/store.h"

namespace mnrecords {

// DeriveRecordTerms decodes `revision`'s payload when its kind has search
// terms; a payload that does not decode has none (the read that meets it
// reports it).
std::vector<std::string> DeriveRecordTerms(const RecordRevision& revision);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_RECORDS_RECORD_TERMS_H_
