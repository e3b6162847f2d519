"""Items, units and conversions, categories, brands, barcodes and variants of one tenant."""
