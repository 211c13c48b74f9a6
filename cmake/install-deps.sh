#!/usr/bin/env bash
# Installs Tartan's build and test dependencies from Debian 12 packages.
# (iproute2: the multihost tests make network namespaces and tc links with ip and tc.)
# Runs apt-get as root, or through sudo otherwise. Safe to run again: apt skips what is there.
set -euo pipefail
packages=(
  build-essential cmake g++ gfortran pkg-config
  libopenblas-dev libscalapack-openmpi-dev libopenmpi-dev openmpi-bin libelpa-dev
  libeigen3-dev catch2 pybind11-dev python3-dev python3-mpi4py python3-pytest
  python3 python3-numpy python3-scipy python3-matplotlib
  iproute2
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all dependencies present"
  exit 0
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
