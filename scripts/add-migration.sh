#!/usr/bin/env bash
# Adds a migration for BOTH providers after a model change:  scripts/add-migration.sh AddLeadScores
# The tests fail (MigrationTests) when the model changed and this was not run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
name=${1:?usage: scripts/add-migration.sh MigrationName}
dotnet tool restore >/dev/null
cd src/GrowthBrain
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$name" --context "${provider}GrowthBrainDb" \
    --output-dir "Data/Migrations/$provider" --namespace "GrowthBrain.Data.Migrations.$provider"
done
# dotnet-ef writes the model snapshot under a folder named after the namespace; keep it beside its migrations.
for provider in Sqlite Postgres; do
  if [[ -d "GrowthBrain/Data/Migrations/$provider" ]]; then
    mv GrowthBrain/Data/Migrations/$provider/*.cs "Data/Migrations/$provider/"
  fi
done
rm -rf GrowthBrain design.db
