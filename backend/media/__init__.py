"""Photos: safe upload, clean variants, storage on local disk or S3."""
