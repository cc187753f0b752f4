-- The troubleshooting guide's query: every operation of every task of the jobs
-- of a device, with the node it acts on and its data. Same joins, same order.
-- dmtool puts its filters at the marker, each as `AND …` with `?` parameters,
-- and `LIMIT ?` after the ORDER BY when --limit is given.
SELECT j.created AS job_created, j.jobID AS job_id,
       j.status AS job_status, t.id AS task_id,
       t.state AS task_state, o.command AS operation_command,
       o.statusCode AS operation_status,
       n.target, n.format, n.type, nd.data, d.devicePK AS device_pk
  FROM dm_job AS j
  JOIN dm_task AS t ON t.job = j.jobID
  JOIN dm_operation AS o ON o.task = t.id
  JOIN dm_node AS n ON n.id = o.node_id
  LEFT JOIN dm_nodeData AS nd ON nd.pk = n.nodeData
  JOIN dm_devices AS d ON j.device = d.devicePK
 WHERE 1 = 1
   /* filters */
 ORDER BY j.created, j.jobID, t.id, o.operationID
