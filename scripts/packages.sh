# Sourced by run.sh and test.sh: installs Debian/Ubuntu packages that are missing, and nothing else.
ensure_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing ${missing[*]} (apt-get)..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
}

ensure_dotnet() {
  if ! command -v dotnet > /dev/null || ! dotnet --list-sdks | grep -q '^10\.'; then
    echo "NvrBlazor needs the .NET 10 SDK (https://dot.net); 'dotnet --list-sdks' shows none." >&2
    exit 1
  fi
}

# libjpeg-turbo's TurboJPEG library is "libturbojpeg0" on Debian and "libturbojpeg" on Ubuntu.
# Decided by the distribution, not by apt-cache: a fresh machine has no package lists yet.
turbojpeg_package() {
  if grep -qE '^(ID|ID_LIKE)=.*ubuntu' /etc/os-release 2>/dev/null; then
    echo libturbojpeg
  else
    echo libturbojpeg0
  fi
}
