// ChangeFeedGrpc serves v1.ChangeFeed: ListChanges like every other read
// (call_runner.h), WatchChanges as a stream (watch_changes_reactor.h).
#ifndef MNRECORDS_SERVER_GRPC_CHANGE_FEED_GRPC_H_
#define MNRECORDS_SERVER_GRPC_CHANGE_FEED_GRPC_H_

#include "clinic/microneedling/v1/change_feed_service.grpc.pb.h"
#include "server/grpc/call_runner.h"
#include "server/grpc/watch_changes_reactor.h"
#include "server/service/change_feed_service.h"

namespace mnrecords {

// `env` and everything it names must outlive this.
class ChangeFeedGrpc final : public v1::ChangeFeed::CallbackService {
 public:
  explicit ChangeFeedGrpc(WatchEnvironment& env) : env_(env) {}

  grpc::ServerUnaryReactor* ListChanges(
      grpc::CallbackServerContext* context,
      const v1::ListChangesRequest* request,
      v1::ListChangesResponse* response) override {
    return RunRead(env_.calls, *context, v1::ChangeFeed::service_full_name(),
                   env_.service, &ChangeFeedService::ListChanges, *request,
                   response);
  }
  grpc::ServerWriteReactor<v1::WatchChangesResponse>* WatchChanges(
      grpc::CallbackServerContext* context,
      const v1::WatchChangesRequest* request) override {
    return WatchChangesReactor::Start(env_, *context, *request);
  }

 private:
  WatchEnvironment& env_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_GRPC_CHANGE_FEED_GRPC_H_
