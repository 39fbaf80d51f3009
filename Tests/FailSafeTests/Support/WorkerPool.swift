/// Runs `jobs` jobs on `workers` concurrent workers pulling from one shared queue, and returns
/// each job's result by job number. Every job runs exactly once.
func runBacklog<Result: Sendable>(
  jobs: Int, workers: Int, _ job: @escaping @Sendable (_ number: Int, _ worker: Int) async -> Result
) async -> [Int: Result] {
  let next = LockedValue(0)
  return await withTaskGroup(of: [(Int, Result)].self) { group in
    for worker in 0..<workers {
      group.addTask {
        var done: [(Int, Result)] = []
        while true {
          let number = next.withLock { value -> Int? in
            guard value < jobs else { return nil }
            defer { value += 1 }
            return value
          }
          guard let number else { return done }
          done.append((number, await job(number, worker)))
        }
      }
    }
    var results: [Int: Result] = [:]
    for await batch in group {
      for (number, result) in batch { results[number] = result }
    }
    return results
  }
}

/// How one job of a scenario ended.
enum JobResult: Sendable, Equatable {
  case succeeded(credential: String)
  case failed(String)
}
