import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Exit statuses, following BSD sysexits for usage errors.
enum BenchExitStatus {
  static let success: Int32 = 0
  static let failure: Int32 = 1
  static let usage: Int32 = 64
}

func printError(_ message: String) {
  FileHandle.standardError.write(Data("failsafe-bench: \(message)\n".utf8))
}

/// This binary's path, for re-running it under valgrind.
func ownExecutablePath() -> String {
  #if os(Linux)
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return path
    }
  #endif
  return CommandLine.arguments[0]
}

func runBenchmarks(_ arguments: [String]) async -> Int32 {
  let options: BenchmarkOptions
  do {
    options = try BenchmarkOptions.parse(arguments)
  } catch {
    printError("\(error). Run 'failsafe-bench --help' for the options.")
    return BenchExitStatus.usage
  }
  if options.help {
    print(BenchmarkOptions.help, terminator: "")
    return BenchExitStatus.success
  }
  let selected = BenchmarkCatalog.all.filter { options.selects($0.name) }
  if options.list {
    for benchmark in selected { print("\(benchmark.name)  \(benchmark.summary)") }
    return BenchExitStatus.success
  }
  guard !selected.isEmpty else {
    let names = BenchmarkCatalog.all.map(\.name).joined(separator: ", ")
    printError("no benchmark matches the filter. Benchmarks: \(names)")
    return BenchExitStatus.usage
  }

  let runner = BenchmarkRunner(iterations: options.iterations, repetitions: options.repetitions)
  let probe = ValgrindProbe(
    executable: ownExecutablePath(), iterations: options.iterations ?? 200)
  var results: [BenchmarkResult] = []
  let table = !options.json && !options.quiet
  if table { print(BenchmarkReport.tableHeader, terminator: "") }
  for benchmark in selected {
    var result = await runner.run(benchmark)
    if case .timePerOperation = benchmark.measurement,
      options.allocations || options.instructions
    {
      do {
        if options.allocations {
          let heap = try probe.heapPerOperation(benchmark.name)
          result.bytesPerOp = heap.bytes
          result.allocationsPerOp = heap.allocations
        }
        if options.instructions {
          result.instructionsPerOp = try probe.instructionsPerOperation(benchmark.name)
        }
      } catch {
        printError("\(error)")
        return BenchExitStatus.failure
      }
    }
    results.append(result)
    if table {
      print(BenchmarkReport.tableRow(result), terminator: "")
      fflush(nil)  // All streams: naming `stdout` is not concurrency-safe in Swift 6.
    }
  }
  if options.quiet {
    return BenchExitStatus.success
  } else if options.json {
    print(BenchmarkReport.json(results), terminator: "")
  } else {
    print(TargetCheck.report(results), terminator: "")
    print(ShareReport.report(results), terminator: "")
  }
  return BenchExitStatus.success
}

// Run on the global executor and keep the main thread parked, instead of an async top level:
// an async `main` hands the main thread to `dispatch_main`, which valgrind (used by
// `--allocations`) cannot survive.
let arguments = Array(CommandLine.arguments.dropFirst())
Task.detached { exit(await runBenchmarks(arguments)) }
DispatchSemaphore(value: 0).wait()
