-- The dmtool demo database: the DME job tables as far as the troubleshooting
-- guide shows them, with the indexes a real deployment has on the join and filter
-- columns, and demo rows. Portable SQL: runs unchanged on SQLite and on
-- MariaDB/MySQL (`--db demo` loads it into an in-memory SQLite database; the
-- MySQL tests load it into a fresh database). One statement per `;` at a line end.
--
-- Devices:
--   30 phone 30116718  the guide's example: one explore job, S60
--   31 phone 30227711  Windows Mobile: explore + installation
--   32 phone 30338822  Java (Sony Ericsson): explore
--   33 phone 30449933  S60: explore, a failed installation (404, 401, 500, 507),
--                      retried two days later with success (418 on the Add)
--   34 phone 30551144  S60: installation in progress (101, unanswered) and a queued job
--   35 phone 30662255  S60, 2009 ... then the same number on
--   36 phone 30662255  Windows Mobile, 2010
--   37 phone 30773366  no probe answered: platform unknown
--   38 phone 30884477  S60, but the explore job's Add of deleteMe failed (418: left over)

CREATE TABLE dm_devices (
    devicePK INTEGER NOT NULL PRIMARY KEY,
    phoneNumber VARCHAR(32),
    imei VARCHAR(64),
    model VARCHAR(64)
);
CREATE INDEX dm_devices_phoneNumber ON dm_devices (phoneNumber);

CREATE TABLE dm_job (
    jobID CHAR(32) NOT NULL PRIMARY KEY,
    created DATETIME NOT NULL,
    status VARCHAR(32),
    device INTEGER NOT NULL
);
CREATE INDEX dm_job_device ON dm_job (device, created);
CREATE INDEX dm_job_created ON dm_job (created);

CREATE TABLE dm_task (
    id INTEGER NOT NULL PRIMARY KEY,
    job CHAR(32) NOT NULL,
    state VARCHAR(32)
);
CREATE INDEX dm_task_job ON dm_task (job);

CREATE TABLE dm_nodeData (
    pk INTEGER NOT NULL PRIMARY KEY,
    data TEXT
);

CREATE TABLE dm_node (
    id INTEGER NOT NULL PRIMARY KEY,
    target VARCHAR(255) NOT NULL,
    format VARCHAR(16),
    type VARCHAR(64),
    nodeData INTEGER
);

CREATE TABLE dm_operation (
    operationID INTEGER NOT NULL PRIMARY KEY,
    task INTEGER NOT NULL,
    command VARCHAR(16) NOT NULL,
    statusCode INTEGER,
    node_id INTEGER NOT NULL
);
CREATE INDEX dm_operation_task ON dm_operation (task, operationID);

INSERT INTO dm_devices (devicePK, phoneNumber, imei, model) VALUES
    (30, '30116718', 'IMEI:356938035643809', 'Nokia E71'),
    (31, '30227711', 'IMEI:351234567890125', 'HTC Touch Pro'),
    (32, '30338822', 'IMEI:358800001234567', 'Sony Ericsson K800i'),
    (33, '30449933', 'IMEI:356938035111111', 'Nokia E66'),
    (34, '30551144', 'IMEI:356938035222222', 'Nokia N95 8GB'),
    (35, '30662255', 'IMEI:356938035333333', 'Nokia 6120 classic'),
    (36, '30662255', 'IMEI:351234567444444', 'HTC Touch Diamond'),
    (37, '30773366', 'IMEI:354444445555555', NULL),
    (38, '30884477', 'IMEI:356938035666666', 'Nokia E63');

-- Jobs:
--   D17041E7CF3A2D9E5CC7E52B4AEE70C6  the troubleshooting guide's example: explore job of an S60 phone
--   3A9C0E5B7D2F41C8A6E1B0D94F2C7E13  explore job: wm
--   3A9C0E5B7D2F41C8A6E1B0D94F2C7E14  installation job on Windows Mobile
--   5E2B8D1F0A4C4B7E9D3F6A2C8B1E0D47  explore job: java
--   8EBB50BF6AB97B3008770FACCE244678  explore job: s60
--   8EBB50BF6AB97B3008770FACCE244679  installation job that failed: 404, 401, 500, 507
--   8EBB50BF6AB97B3008770FACCE24467A  installation retried two days later: succeeded
--   C0FFEE00C0FFEE00C0FFEE00C0FFEE01  explore job: s60
--   C0FFEE00C0FFEE00C0FFEE00C0FFEE02  installation in progress: Exec at 101, a Get never answered
--   C0FFEE00C0FFEE00C0FFEE00C0FFEE03  a queued job: NULL job status, task state, status code, format, type and data
--   A1B2C3D4E5F60718293A4B5C6D7E8F90  explore job: s60
--   A1B2C3D4E5F60718293A4B5C6D7E8F91  explore job: wm
--   0DDBA11C0DDBA11C0DDBA11C0DDBA11C  explore job: s60
--   F00DF00DF00DF00DF00DF00DF00DF00D  explore job: none
INSERT INTO dm_job (jobID, created, status, device) VALUES
    ('D17041E7CF3A2D9E5CC7E52B4AEE70C6', '2010-06-28 13:48:21', 'Closed', 30),
    ('3A9C0E5B7D2F41C8A6E1B0D94F2C7E13', '2010-06-30 10:12:05', 'Closed', 31),
    ('3A9C0E5B7D2F41C8A6E1B0D94F2C7E14', '2010-06-30 10:12:40', 'Closed', 31),
    ('5E2B8D1F0A4C4B7E9D3F6A2C8B1E0D47', '2010-07-01 15:30:00', 'Closed', 32),
    ('8EBB50BF6AB97B3008770FACCE244678', '2010-06-29 09:14:40', 'Closed', 33),
    ('8EBB50BF6AB97B3008770FACCE244679', '2010-06-29 09:15:02', 'Failed', 33),
    ('8EBB50BF6AB97B3008770FACCE24467A', '2010-07-01 10:02:11', 'Closed', 33),
    ('C0FFEE00C0FFEE00C0FFEE00C0FFEE01', '2010-07-02 08:00:00', 'Closed', 34),
    ('C0FFEE00C0FFEE00C0FFEE00C0FFEE02', '2010-07-02 08:00:30', 'Open', 34),
    ('C0FFEE00C0FFEE00C0FFEE00C0FFEE03', '2010-07-02 08:05:00', NULL, 34),
    ('A1B2C3D4E5F60718293A4B5C6D7E8F90', '2009-11-12 16:20:00', 'Closed', 35),
    ('A1B2C3D4E5F60718293A4B5C6D7E8F91', '2010-05-20 11:45:10', 'Closed', 36),
    ('0DDBA11C0DDBA11C0DDBA11C0DDBA11C', '2010-07-03 09:30:00', 'Closed', 38),
    ('F00DF00DF00DF00DF00DF00DF00DF00D', '2010-07-02 12:00:00', 'Closed', 37);

INSERT INTO dm_task (id, job, state) VALUES
    (180, 'D17041E7CF3A2D9E5CC7E52B4AEE70C6', 'NotSupported'),
    (181, 'D17041E7CF3A2D9E5CC7E52B4AEE70C6', 'Supported'),
    (182, 'D17041E7CF3A2D9E5CC7E52B4AEE70C6', 'NotSupported'),
    (183, 'D17041E7CF3A2D9E5CC7E52B4AEE70C6', 'NotSupported'),
    (184, 'D17041E7CF3A2D9E5CC7E52B4AEE70C6', 'Supported'),
    (185, 'D17041E7CF3A2D9E5CC7E52B4AEE70C6', 'Supported'),
    (200, '3A9C0E5B7D2F41C8A6E1B0D94F2C7E13', 'NotSupported'),
    (201, '3A9C0E5B7D2F41C8A6E1B0D94F2C7E13', 'NotSupported'),
    (202, '3A9C0E5B7D2F41C8A6E1B0D94F2C7E13', 'NotSupported'),
    (203, '3A9C0E5B7D2F41C8A6E1B0D94F2C7E13', 'Supported'),
    (204, '3A9C0E5B7D2F41C8A6E1B0D94F2C7E14', 'Done'),
    (205, '5E2B8D1F0A4C4B7E9D3F6A2C8B1E0D47', 'Supported'),
    (206, '5E2B8D1F0A4C4B7E9D3F6A2C8B1E0D47', 'NotSupported'),
    (207, '5E2B8D1F0A4C4B7E9D3F6A2C8B1E0D47', 'NotSupported'),
    (208, '5E2B8D1F0A4C4B7E9D3F6A2C8B1E0D47', 'NotSupported'),
    (209, '8EBB50BF6AB97B3008770FACCE244678', 'NotSupported'),
    (210, '8EBB50BF6AB97B3008770FACCE244678', 'Supported'),
    (211, '8EBB50BF6AB97B3008770FACCE244678', 'NotSupported'),
    (212, '8EBB50BF6AB97B3008770FACCE244678', 'NotSupported'),
    (213, '8EBB50BF6AB97B3008770FACCE244678', 'Supported'),
    (214, '8EBB50BF6AB97B3008770FACCE244678', 'Supported'),
    (215, '8EBB50BF6AB97B3008770FACCE244679', 'Done'),
    (216, '8EBB50BF6AB97B3008770FACCE244679', 'Failed'),
    (217, '8EBB50BF6AB97B3008770FACCE244679', 'Failed'),
    (218, '8EBB50BF6AB97B3008770FACCE244679', 'Failed'),
    (219, '8EBB50BF6AB97B3008770FACCE24467A', 'Done'),
    (220, 'C0FFEE00C0FFEE00C0FFEE00C0FFEE01', 'NotSupported'),
    (221, 'C0FFEE00C0FFEE00C0FFEE00C0FFEE01', 'Supported'),
    (222, 'C0FFEE00C0FFEE00C0FFEE00C0FFEE01', 'NotSupported'),
    (223, 'C0FFEE00C0FFEE00C0FFEE00C0FFEE01', 'NotSupported'),
    (224, 'C0FFEE00C0FFEE00C0FFEE00C0FFEE01', 'Supported'),
    (225, 'C0FFEE00C0FFEE00C0FFEE00C0FFEE01', 'Supported'),
    (226, 'C0FFEE00C0FFEE00C0FFEE00C0FFEE02', 'Done'),
    (227, 'C0FFEE00C0FFEE00C0FFEE00C0FFEE02', 'Running'),
    (228, 'C0FFEE00C0FFEE00C0FFEE00C0FFEE03', NULL),
    (229, 'A1B2C3D4E5F60718293A4B5C6D7E8F90', 'NotSupported'),
    (230, 'A1B2C3D4E5F60718293A4B5C6D7E8F90', 'Supported'),
    (231, 'A1B2C3D4E5F60718293A4B5C6D7E8F90', 'NotSupported'),
    (232, 'A1B2C3D4E5F60718293A4B5C6D7E8F90', 'NotSupported'),
    (233, 'A1B2C3D4E5F60718293A4B5C6D7E8F90', 'Supported'),
    (234, 'A1B2C3D4E5F60718293A4B5C6D7E8F90', 'Supported'),
    (235, 'A1B2C3D4E5F60718293A4B5C6D7E8F91', 'NotSupported'),
    (236, 'A1B2C3D4E5F60718293A4B5C6D7E8F91', 'NotSupported'),
    (237, 'A1B2C3D4E5F60718293A4B5C6D7E8F91', 'NotSupported'),
    (238, 'A1B2C3D4E5F60718293A4B5C6D7E8F91', 'Supported'),
    (239, '0DDBA11C0DDBA11C0DDBA11C0DDBA11C', 'NotSupported'),
    (240, '0DDBA11C0DDBA11C0DDBA11C0DDBA11C', 'Supported'),
    (241, '0DDBA11C0DDBA11C0DDBA11C0DDBA11C', 'NotSupported'),
    (242, '0DDBA11C0DDBA11C0DDBA11C0DDBA11C', 'NotSupported'),
    (243, '0DDBA11C0DDBA11C0DDBA11C0DDBA11C', 'Supported'),
    (244, '0DDBA11C0DDBA11C0DDBA11C0DDBA11C', 'Supported'),
    (245, 'F00DF00DF00DF00DF00DF00DF00DF00D', 'NotSupported'),
    (246, 'F00DF00DF00DF00DF00DF00DF00DF00D', 'NotSupported'),
    (247, 'F00DF00DF00DF00DF00DF00DF00DF00D', 'NotSupported'),
    (248, 'F00DF00DF00DF00DF00DF00DF00DF00D', 'NotSupported');

INSERT INTO dm_nodeData (pk, data) VALUES
    (1, 'DME Client 3.5 for Windows Mobile'),
    (2, 'https://dme.example.com/dm/client/dmeclient.cab'),
    (3, 'DME Client 3.5'),
    (4, 'http://dme.example.com/dm/client/dmeclient.sisx'),
    (5, 's3cr3t-per-device'),
    (6, '<DMEConfig><Server>https://dme.example.com/dm</Server><Port>443</Port><Heartbeat interval="900"/></DMEConfig>'),
    (7, 'UEsDBBQAAAAIAAAAIQDmZ0xhAQAAAP//AwBQSwECFAAUAAAACAAAACEA5mdMYQEAAAD//wMAUEsFBgAAAAABAAEAMAAAADEAAAAAAA=='),
    (8, '<DMEConfig><Server>https://dme.example.com/dm</Server><Port>443</Port><Heartbeat interval="900"/></DMEConfig>'),
    (9, 'UEsDBBQAAAAIAAAAIQDmZ0xhAQAAAP//AwBQSwECFAAUAAAACAAAACEA5mdMYQEAAAD//wMAUEsFBgAAAAABAAEAMAAAADEAAAAAAA=='),
    (10, NULL);

INSERT INTO dm_node (id, target, format, type, nodeData) VALUES
    (1, './Com.SonyEricsson/Content/JavaApplications', 'NODE', NULL, NULL),
    (2, './SCM/Inventory/Delivered', 'NODE', NULL, NULL),
    (3, './SCM/Download', 'NODE', NULL, NULL),
    (4, './SCM/Inventory/Deployed', 'NODE', NULL, NULL),
    (5, './SCM/Inventory/Delivered/deleteMe', 'NODE', NULL, NULL),
    (6, './Software/Inventory/Native', 'NODE', NULL, NULL),
    (7, './Vendor/MSFT/SwMgmt/Download', NULL, NULL, NULL),
    (8, './SCM/Inventory/Deployed', 'NODE', NULL, NULL),
    (9, './SCM/Inventory/Delivered/deleteMe', 'NODE', NULL, NULL),
    (10, './Com.SonyEricsson/Content/JavaApplications', 'NODE', NULL, NULL),
    (11, './SCM/Inventory/Delivered', 'NODE', NULL, NULL),
    (12, './SCM/Download', 'NODE', NULL, NULL),
    (13, './SCM/Inventory/Deployed', 'NODE', NULL, NULL),
    (14, './SCM/Inventory/Delivered/deleteMe', 'NODE', NULL, NULL),
    (15, './Software/Inventory/Native', 'NODE', NULL, NULL),
    (16, './Vendor/MSFT/SwMgmt/Download', 'NODE', NULL, NULL),
    (17, './Vendor/MSFT/SwMgmt/Download/DMEClient', 'NODE', NULL, NULL),
    (18, './Vendor/MSFT/SwMgmt/Download/DMEClient/Name', 'chr', 'text/plain', 1),
    (19, './Vendor/MSFT/SwMgmt/Download/DMEClient/PkgURL', 'chr', 'text/plain', 2),
    (20, './Vendor/MSFT/SwMgmt/Download/DMEClient/Operations/DownloadInstall', 'chr', 'text/plain', NULL),
    (21, './Com.SonyEricsson/Content/JavaApplications', 'NODE', NULL, NULL),
    (22, './SCM/Inventory/Delivered', 'NODE', NULL, NULL),
    (23, './SCM/Download', 'NODE', NULL, NULL),
    (24, './SCM/Inventory/Deployed', 'NODE', NULL, NULL),
    (25, './SCM/Inventory/Delivered/deleteMe', 'NODE', NULL, NULL),
    (26, './Software/Inventory/Native', 'NODE', NULL, NULL),
    (27, './Vendor/MSFT/SwMgmt/Download', NULL, NULL, NULL),
    (28, './Com.SonyEricsson/Content/JavaApplications', 'NODE', NULL, NULL),
    (29, './SCM/Inventory/Delivered', 'NODE', NULL, NULL),
    (30, './SCM/Download', 'NODE', NULL, NULL),
    (31, './SCM/Inventory/Deployed', 'NODE', NULL, NULL),
    (32, './SCM/Inventory/Delivered/deleteMe', 'NODE', NULL, NULL),
    (33, './Software/Inventory/Native', 'NODE', NULL, NULL),
    (34, './Vendor/MSFT/SwMgmt/Download', NULL, NULL, NULL),
    (35, './SCM/Inventory/Deployed', 'NODE', NULL, NULL),
    (36, './SCM/Inventory/Delivered/deleteMe', 'NODE', NULL, NULL),
    (37, './SCM/Inventory/Deployed/DMEClient', 'NODE', NULL, NULL),
    (38, './SCM/Download/DMEClient', 'NODE', NULL, NULL),
    (39, './SCM/Download/DMEClient/Name', 'chr', 'text/plain', 3),
    (40, './SCM/Download/DMEClient/URI', 'chr', 'text/plain', 4),
    (41, './SCM/Download/DMEClient/Operations/Download', 'chr', 'text/plain', NULL),
    (42, './SCM/Download/DMEClient/Operations/DownloadAndInstall', 'chr', 'text/plain', NULL),
    (43, './DMAcc/DMEServer/AppAuth/ClientSide/AAuthSecret', 'chr', 'text/plain', 5),
    (44, './Vendor/DME/Config', 'xml', 'text/xml', 6),
    (45, './SCM/Download/DMEClient', 'NODE', NULL, NULL),
    (46, './SCM/Download/DMEClient/Data', 'b64', 'application/vnd.symbian.install', 7),
    (47, './SCM/Download/DMEClient/Operations/Install', 'chr', 'text/plain', NULL),
    (48, './SCM/Inventory/Deployed/DMEClient', 'NODE', NULL, NULL),
    (49, './Vendor/DME/Config', 'xml', 'text/xml', 8),
    (50, './Com.SonyEricsson/Content/JavaApplications', 'NODE', NULL, NULL),
    (51, './SCM/Inventory/Delivered', 'NODE', NULL, NULL),
    (52, './SCM/Download', 'NODE', NULL, NULL),
    (53, './SCM/Inventory/Deployed', 'NODE', NULL, NULL),
    (54, './SCM/Inventory/Delivered/deleteMe', 'NODE', NULL, NULL),
    (55, './Software/Inventory/Native', 'NODE', NULL, NULL),
    (56, './Vendor/MSFT/SwMgmt/Download', NULL, NULL, NULL),
    (57, './SCM/Inventory/Deployed', 'NODE', NULL, NULL),
    (58, './SCM/Inventory/Delivered/deleteMe', 'NODE', NULL, NULL),
    (59, './SCM/Download/DMEClient', 'NODE', NULL, NULL),
    (60, './SCM/Download/DMEClient/Data', 'b64', 'application/vnd.symbian.install', 9),
    (61, './SCM/Download/DMEClient/Operations/Install', 'chr', 'text/plain', NULL),
    (62, './SCM/Inventory/Deployed/DMEClient', 'NODE', NULL, NULL),
    (63, './Vendor/DME/Config', NULL, NULL, 10),
    (64, './Com.SonyEricsson/Content/JavaApplications', 'NODE', NULL, NULL),
    (65, './SCM/Inventory/Delivered', 'NODE', NULL, NULL),
    (66, './SCM/Download', 'NODE', NULL, NULL),
    (67, './SCM/Inventory/Deployed', 'NODE', NULL, NULL),
    (68, './SCM/Inventory/Delivered/deleteMe', 'NODE', NULL, NULL),
    (69, './Software/Inventory/Native', 'NODE', NULL, NULL),
    (70, './Vendor/MSFT/SwMgmt/Download', NULL, NULL, NULL),
    (71, './SCM/Inventory/Deployed', 'NODE', NULL, NULL),
    (72, './SCM/Inventory/Delivered/deleteMe', 'NODE', NULL, NULL),
    (73, './Com.SonyEricsson/Content/JavaApplications', 'NODE', NULL, NULL),
    (74, './SCM/Inventory/Delivered', 'NODE', NULL, NULL),
    (75, './SCM/Download', 'NODE', NULL, NULL),
    (76, './SCM/Inventory/Deployed', 'NODE', NULL, NULL),
    (77, './SCM/Inventory/Delivered/deleteMe', 'NODE', NULL, NULL),
    (78, './Software/Inventory/Native', 'NODE', NULL, NULL),
    (79, './Vendor/MSFT/SwMgmt/Download', 'NODE', NULL, NULL),
    (80, './Com.SonyEricsson/Content/JavaApplications', 'NODE', NULL, NULL),
    (81, './SCM/Inventory/Delivered', 'NODE', NULL, NULL),
    (82, './SCM/Download', 'NODE', NULL, NULL),
    (83, './SCM/Inventory/Deployed', 'NODE', NULL, NULL),
    (84, './SCM/Inventory/Delivered/deleteMe', 'NODE', NULL, NULL),
    (85, './Software/Inventory/Native', 'NODE', NULL, NULL),
    (86, './Vendor/MSFT/SwMgmt/Download', NULL, NULL, NULL),
    (87, './SCM/Inventory/Deployed', 'NODE', NULL, NULL),
    (88, './SCM/Inventory/Delivered/deleteMe', 'NODE', NULL, NULL),
    (89, './Com.SonyEricsson/Content/JavaApplications', 'NODE', NULL, NULL),
    (90, './SCM/Inventory/Delivered', 'NODE', NULL, NULL),
    (91, './SCM/Download', 'NODE', NULL, NULL),
    (92, './SCM/Inventory/Deployed', 'NODE', NULL, NULL),
    (93, './SCM/Inventory/Delivered/deleteMe', 'NODE', NULL, NULL),
    (94, './Software/Inventory/Native', 'NODE', NULL, NULL),
    (95, './Vendor/MSFT/SwMgmt/Download', NULL, NULL, NULL);

INSERT INTO dm_operation (operationID, task, command, statusCode, node_id) VALUES
    (1, 180, 'Get', 404, 1),
    (2, 181, 'Get', 200, 2),
    (3, 181, 'Get', 200, 3),
    (4, 181, 'Get', 200, 4),
    (5, 181, 'Add', 200, 5),
    (6, 182, 'Get', 404, 6),
    (7, 183, 'Get', 404, 7),
    (8, 184, 'Get', 200, 8),
    (9, 185, 'Delete', 200, 9),
    (10, 200, 'Get', 404, 10),
    (11, 201, 'Get', 404, 11),
    (12, 201, 'Get', 404, 12),
    (13, 201, 'Get', 404, 13),
    (14, 201, 'Add', 404, 14),
    (15, 202, 'Get', 404, 15),
    (16, 203, 'Get', 200, 16),
    (17, 204, 'Add', 200, 17),
    (18, 204, 'Replace', 200, 18),
    (19, 204, 'Replace', 200, 19),
    (20, 204, 'Exec', 200, 20),
    (21, 205, 'Get', 200, 21),
    (22, 206, 'Get', 404, 22),
    (23, 206, 'Get', 404, 23),
    (24, 206, 'Get', 404, 24),
    (25, 206, 'Add', 404, 25),
    (26, 207, 'Get', 404, 26),
    (27, 208, 'Get', 404, 27),
    (28, 209, 'Get', 404, 28),
    (29, 210, 'Get', 200, 29),
    (30, 210, 'Get', 200, 30),
    (31, 210, 'Get', 200, 31),
    (32, 210, 'Add', 200, 32),
    (33, 211, 'Get', 404, 33),
    (34, 212, 'Get', 404, 34),
    (35, 213, 'Get', 200, 35),
    (36, 214, 'Delete', 200, 36),
    (37, 215, 'Get', 404, 37),
    (38, 215, 'Add', 200, 38),
    (39, 215, 'Replace', 200, 39),
    (40, 215, 'Replace', 200, 40),
    (41, 216, 'Exec', 401, 41),
    (42, 217, 'Exec', 500, 42),
    (43, 218, 'Replace', 507, 43),
    (44, 218, 'Replace', 507, 44),
    (45, 219, 'Add', 418, 45),
    (46, 219, 'Replace', 200, 46),
    (47, 219, 'Exec', 200, 47),
    (48, 219, 'Get', 200, 48),
    (49, 219, 'Replace', 200, 49),
    (50, 220, 'Get', 404, 50),
    (51, 221, 'Get', 200, 51),
    (52, 221, 'Get', 200, 52),
    (53, 221, 'Get', 200, 53),
    (54, 221, 'Add', 200, 54),
    (55, 222, 'Get', 404, 55),
    (56, 223, 'Get', 404, 56),
    (57, 224, 'Get', 200, 57),
    (58, 225, 'Delete', 200, 58),
    (59, 226, 'Add', 200, 59),
    (60, 226, 'Replace', 200, 60),
    (61, 227, 'Exec', 101, 61),
    (62, 227, 'Get', NULL, 62),
    (63, 228, 'Replace', NULL, 63),
    (64, 229, 'Get', 404, 64),
    (65, 230, 'Get', 200, 65),
    (66, 230, 'Get', 200, 66),
    (67, 230, 'Get', 200, 67),
    (68, 230, 'Add', 200, 68),
    (69, 231, 'Get', 404, 69),
    (70, 232, 'Get', 404, 70),
    (71, 233, 'Get', 200, 71),
    (72, 234, 'Delete', 200, 72),
    (73, 235, 'Get', 404, 73),
    (74, 236, 'Get', 404, 74),
    (75, 236, 'Get', 404, 75),
    (76, 236, 'Get', 404, 76),
    (77, 236, 'Add', 404, 77),
    (78, 237, 'Get', 404, 78),
    (79, 238, 'Get', 200, 79),
    (80, 239, 'Get', 404, 80),
    (81, 240, 'Get', 200, 81),
    (82, 240, 'Get', 200, 82),
    (83, 240, 'Get', 200, 83),
    (84, 240, 'Add', 418, 84),
    (85, 241, 'Get', 404, 85),
    (86, 242, 'Get', 404, 86),
    (87, 243, 'Get', 200, 87),
    (88, 244, 'Delete', 200, 88),
    (89, 245, 'Get', 404, 89),
    (90, 246, 'Get', 404, 90),
    (91, 246, 'Get', 404, 91),
    (92, 246, 'Get', 404, 92),
    (93, 246, 'Add', 404, 93),
    (94, 247, 'Get', 404, 94),
    (95, 248, 'Get', 404, 95);

