#pragma once
// Awaiting the batch writer from a connection's coroutine: the commit completes on a writer
// thread, and the coroutine resumes on its own I/O thread.
#include "consumer/batch_writer.hpp"
#include "consumer/completion_inbox.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/query.hpp>

#include <memory>

namespace evs::consumer {

template <class CompletionToken>
auto async_commit(batch_writer& writer, std::vector<core::new_event> events,
                  CompletionToken&& token) {
  using signature = void(result<storage::insert_outcome>);
  return boost::asio::async_initiate<CompletionToken, signature>(
      [&writer](auto handler, std::vector<core::new_event> batch) {
        using handler_type = decltype(handler);
        auto executor = boost::asio::get_associated_executor(handler);
        auto& inbox = boost::asio::use_service<completion_inbox>(
            boost::asio::query(executor, boost::asio::execution::context));
        // The work guard keeps the I/O thread running while the commit is pending,
        // even when shutdown has closed everything else on it.
        struct pending {
          handler_type handler;
          decltype(boost::asio::make_work_guard(executor)) guard;
        };
        auto state = std::make_shared<pending>(
            pending{std::move(handler), boost::asio::make_work_guard(executor)});
        auto complete = [state, &inbox](result<storage::insert_outcome> outcome,
                                        std::vector<core::new_event> done_events) {
          auto ex = state->guard.get_executor();
          inbox.deliver(ex, [state, outcome = std::move(outcome),
                             done_events = std::move(done_events)]() mutable {
            std::move(state->handler)(std::move(outcome));
            state->guard.reset();
            // done_events is freed here, on the I/O thread that allocated it.
          });
        };
        auto queued = writer.submit(std::move(batch), complete);
        if (!queued) complete(queued.error(), {});
      },
      token, std::move(events));
}

}  // namespace evs::consumer
