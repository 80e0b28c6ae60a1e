#!/usr/bin/env bash
# Compile-time cost of sync!: `cargo check` of a crate with 100 syncs against
# the same crate without them (its dependencies already built), side by side.
# Usage: benches/compile-time.sh [rounds]   (default 3)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/target/compile-time"
rounds="${1:-3}"
mkdir -p "$work/src"
cat > "$work/Cargo.toml" <<TOML
[package]
name = "compile-time"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
syncs-runtime = { path = "$root/syncs-runtime" }
serde = { version = "1", features = ["derive"] }

[workspace]
TOML
concepts() {
  cat <<'RS'
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, ActionError};

pub struct Items;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub id: String,
}

#[concept]
impl Items {
    pub async fn add(&self, name: String) -> Result<Item, ActionError> {
        Ok(Item { id: name })
    }
    pub async fn _find(&self, id: String) -> Vec<Row> {
        vec![Row { id }]
    }
}
RS
}
{ concepts; echo 'pub fn main() {}'; } > "$work/without.rs"
{
  concepts
  echo 'use syncs_runtime::sync;'
  for i in $(seq 1 50); do
    cat <<RS
sync! {
    pub Add$i
    when
        Requesting.request (path: "/items/$i", name) : (request)
    then
        Items.add (name)
}
sync! {
    pub Answer$i
    when
        Requesting.request (path: "/items/$i") : (request)
        Items.add () : (id)
    where
        Items._find (id) : (id: found)
    then
        Requesting.respond (request, found)
}
RS
  done
  echo 'pub fn main() {}'
} > "$work/with.rs"
# 100 syncs above: 50 request syncs and 50 response syncs with a query.
cd "$work"
cp without.rs src/main.rs
cargo check -q 2>/dev/null || cargo check
measure() {
  cp "$1" src/main.rs
  touch src/main.rs
  local start end
  start=$(date +%s.%N)
  cargo check -q
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
declare -a with without
for _ in $(seq 1 "$rounds"); do
  without+=("$(measure without.rs)")
  with+=("$(measure with.rs)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
w=$(median "${with[@]}")
wo=$(median "${without[@]}")
echo "| crate | cargo check (median of $rounds) |"
echo "|---|---|"
printf "| concepts only | %.2f s |\n" "$wo"
printf "| concepts + 100 syncs | %.2f s |\n" "$w"
echo "per sync: $(echo "($w - $wo) / 100 * 1000" | bc -l | xargs printf '%.1f') ms"
