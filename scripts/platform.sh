# Sourced by package.sh and quickstart.sh: sets $os and $arch to Terraform's names for this
# machine's platform (the `<os>_<arch>` of mirror paths and release archives). Needs `die`.
case "$(uname -s)" in
Linux) os=linux ;;
Darwin) os=darwin ;;
*) die "unsupported operating system $(uname -s)." ;;
esac
case "$(uname -m)" in
x86_64 | amd64) arch=amd64 ;;
aarch64 | arm64) arch=arm64 ;;
*) die "unsupported CPU architecture $(uname -m)." ;;
esac
