"""Ward reports: content (``content``), pictures (``figures``), PDF/XLSX/HTML (``render``)."""
