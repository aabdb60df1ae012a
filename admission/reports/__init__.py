"""Admission statistics (Biểu 1, 2, 2B-BTCTW, plan, funnel, timings) counted in SQL, and their XLSX/PDF files."""
