fn main() -> std::process::ExitCode {
    recours::cli::main()
}
