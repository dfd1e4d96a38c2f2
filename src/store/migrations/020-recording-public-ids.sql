-- A CDR's recordings list held the engine's recording numbers, which restart
-- with the engine and are not the recordings table's ids that the download
-- route takes. From now on the table's id is the one public id; older rows
-- are rewritten from the table (by journey).
UPDATE cdr SET recordings = COALESCE(
  (SELECT json_group_array(id) FROM (SELECT id FROM recordings r WHERE r.journey = cdr.journey ORDER BY id)),
  '[]')
WHERE recordings != '[]' OR EXISTS (SELECT 1 FROM recordings r WHERE r.journey = cdr.journey);
