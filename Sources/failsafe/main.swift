import FailSafeCommands

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

let status = await FailSafeCommandLine.run(Array(CommandLine.arguments.dropFirst()))
exit(status)
