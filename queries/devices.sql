-- The devices of a phone number or device key. Only devicePK and phoneNumber are
-- known columns; whatever else the table has is shown as it is.
SELECT *
  FROM dm_devices AS d
 WHERE 1 = 1
   /* filters */
 ORDER BY d.devicePK
