#pragma once
// Hands work from writer threads to one I/O thread's io_context in bursts: the first job of a
// burst posts one drain, and jobs that arrive before it runs join it. A commit group thus
// costs each I/O thread one wake-up, not one per request.
#include <boost/asio/execution_context.hpp>
#include <boost/asio/post.hpp>

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace evs::consumer {

class completion_inbox final : public boost::asio::execution_context::service {
 public:
  using key_type = completion_inbox;
  // Asio's service identity; its constructor does not throw.
  static inline boost::asio::execution_context::id id;  // NOLINT(cert-err58-cpp)

  explicit completion_inbox(boost::asio::execution_context& context) : service{context} {}

  // Runs `job` on `executor`'s thread. Callable from any thread.
  template <class Executor, class Job>
  void deliver(const Executor& executor, Job job) {
    bool first = false;
    {
      const std::lock_guard lock{mutex_};
      first = pending_.empty();
      pending_.push_back(std::make_unique<job_of<Job>>(std::move(job)));
    }
    if (first) boost::asio::post(executor, [this] { drain(); });
  }

 private:
  struct job_base {
    virtual ~job_base() = default;
    virtual void run() = 0;
  };
  template <class Job>
  struct job_of final : job_base {
    explicit job_of(Job j) : job{std::move(j)} {}
    void run() override { std::move(job)(); }
    Job job;
  };

  void drain() {
    std::vector<std::unique_ptr<job_base>> jobs;
    {
      const std::lock_guard lock{mutex_};
      jobs.swap(pending_);
      pending_.reserve(jobs.size());  // the next burst is likely as large
    }
    for (auto& job : jobs) job->run();
  }

  // Jobs never run are destroyed with the io_context, as its own pending handlers are.
  void shutdown() override {
    const std::lock_guard lock{mutex_};
    pending_.clear();
  }

  std::mutex mutex_;
  std::vector<std::unique_ptr<job_base>> pending_;
};

}  // namespace evs::consumer
