-- +goose Up
-- What the portal publishes of an edition (DOMAIN.md "Data and publication"), from its
-- definition's publication block: which consented entries the public best-practice repository
-- shows ('all', only the 'finalists' (winners and confirmed semi-finalists), or 'none'), and
-- whether the public semi-finalists page shows the confirmed lists. The defaults are what the
-- portal did before the settings existed. The public queries read these columns.
ALTER TABLE editions
	ADD COLUMN repository_scope TEXT NOT NULL DEFAULT 'all' CHECK (repository_scope IN ('all', 'finalists', 'none')),
	ADD COLUMN semi_finalists_public BOOLEAN NOT NULL DEFAULT true;
